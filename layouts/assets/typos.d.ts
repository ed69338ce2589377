// Types of typos.js, the search page's spelling correction, which the build shares.
export declare const SHORTEST_CORRECTED: number;
export declare const LONGEST_FILE: number;
export declare const VOCABULARY_FOLDER: string;
export declare function lowerCaseWords(text: string): string[];
export declare function allowedEdits(length: number): number;
export declare function vocabularyFileFor(length: number): string;
export declare function lengthsIn(fileLength: number): { shortest: number; longest: number };
export declare function parseVocabulary(text: string): Map<string, number>;
export declare function closestWord(typed: string, words: Map<string, number>): string | undefined;
export declare function editDistance(a: string, b: string, most?: number): number;
