/** operationIds the GitHub stand-in implements. */
export declare const OPERATION_IDS: string[];

/** Returns a copy of `spec` holding only `operationIds` and what they reference. */
export declare function trimSpec(spec: Record<string, any>, operationIds: string[]): Record<string, any>;
