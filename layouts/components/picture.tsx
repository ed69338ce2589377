import type { ArticleImage } from "../../src/archive/archive.ts";
import { ARTICLE_SIZES, srcset } from "../../src/render/picture-markup.ts";
import { mediaPath } from "../../src/urls.ts";
import { useMessages, useSettings } from "./site.tsx";

/** An article's lead picture above its body, with its caption and credit. */
export function LeadFigure({ image }: { image: ArticleImage }) {
  const messages = useMessages();
  const hasCaption = image.caption !== undefined || image.credit !== undefined;
  return (
    <figure class="lead-figure">
      {/* The first thing a reader sees: fetched at once, not when scrolled to. */}
      <ArticlePicture image={image} alt={image.alt} sizes={ARTICLE_SIZES} lazy={false} />
      {hasCaption && (
        <figcaption>
          {image.caption}
          {image.caption !== undefined && image.credit !== undefined && " "}
          {image.credit !== undefined && <span class="credit">{messages.t("article.imageCredit", { credit: image.credit })}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/** How wide a listing's thumbnail is shown (see .teaser-image in style.css). */
const THUMBNAIL_SIZES = "7.5rem";

/**
 * A listing's small picture beside a headline. The headline beside it says what the article is,
 * so the picture is decorative: an empty alt keeps screen readers from reading it twice.
 */
export function Thumbnail({ image }: { image: ArticleImage }) {
  return <ArticlePicture image={image} alt="" sizes={THUMBNAIL_SIZES} lazy class="teaser-image" />;
}

/** A picture in its encodings when it has them (see archive/pictures.ts), else the file as it is. */
function ArticlePicture({ image, alt, sizes, lazy, class: className }: { image: ArticleImage; alt: string; sizes: string; lazy: boolean; class?: string }) {
  const settings = useSettings();
  const picture = image.file?.picture;
  const loading = lazy ? "lazy" : undefined;
  if (picture === undefined) return <img class={className} src={mediaPath(settings, image.url)} alt={alt} loading={loading} decoding="async" />;
  const fallback = picture.sources.at(-1)!;
  return (
    <picture class={className === undefined ? undefined : `${className}-frame`}>
      {picture.sources.slice(0, -1).map((source) => (
        <source key={source.type} type={source.type} srcset={srcset(source.candidates, settings.basePath)} sizes={sizes} />
      ))}
      <img
        class={className}
        src={mediaPath(settings, picture.largest.url)}
        srcset={srcset(fallback.candidates, settings.basePath)}
        sizes={sizes}
        width={picture.width}
        height={picture.height}
        alt={alt}
        loading={loading}
        decoding="async"
      />
    </picture>
  );
}
