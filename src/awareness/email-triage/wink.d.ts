declare module 'wink-naive-bayes-text-classifier' {
  interface WinkNbc {
    definePrepTasks(tasks: Array<(x: any) => any>): number;
    defineConfig(cfg: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    learn(input: string | string[], label: string): boolean;
    consolidate(): boolean;
    computeOdds(input: string | string[]): Array<[string, number]>;
    predict(input: string | string[]): string;
    exportJSON(): string;
    importJSON(json: string): boolean;
    reset(): boolean;
    stats(): { labelWiseSamples: Record<string, number>; labelWiseWords: Record<string, number>; vocabulary: number };
  }
  function create(): WinkNbc;
  export default create;
}
