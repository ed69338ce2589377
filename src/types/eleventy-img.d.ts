// @11ty/eleventy-img ships JavaScript without type declarations; this is the part Broadsheet calls.
declare module "@11ty/eleventy-img" {
  export interface ImageOptions {
    widths?: (number | "auto")[];
    formats?: string[];
    outputDir?: string;
    urlPath?: string;
    filenameFormat?: (id: string, src: string, width: number, format: string) => string;
    sharpOptions?: Record<string, unknown>;
    sharpJpegOptions?: Record<string, unknown>;
    sharpPngOptions?: Record<string, unknown>;
    sharpWebpOptions?: Record<string, unknown>;
    sharpAvifOptions?: Record<string, unknown>;
    minimumThreshold?: number;
    concurrency?: number;
    useCache?: boolean;
    /** Not an eleventy-img option: any extra option is part of its in-memory cache key. */
    sourceHash?: string;
  }
  export interface ImageStat {
    format: string;
    width: number;
    height: number;
    url: string;
    sourceType: string;
    srcset: string;
    filename: string;
    outputPath: string;
    size: number;
  }
  const Image: {
    (src: string | Buffer, options?: ImageOptions): Promise<Record<string, ImageStat[]>>;
    /** The hash of a source's bytes and the encoder settings that names its outputs. */
    getHash(src: string, options?: ImageOptions): string;
  };
  export default Image;
}
