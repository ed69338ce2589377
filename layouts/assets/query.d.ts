// Types of query.js, the search page's reading of a query, for its tests.
export interface Query {
  words: string[];
  phrases: string[];
  excluded: string[];
}
export declare function parseQuery(text: string): Query;
export declare function hasTerms(query: Query): boolean;
export declare function respelt(text: string, corrections: Map<string, string>): string;
