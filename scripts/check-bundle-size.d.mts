/** Type declarations for check-bundle-size.mjs (used by its Vitest test). */
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;
export interface ChunkSize {
  raw: number;
  gzip: number;
}
export interface ChunkRow extends ChunkSize {
  file: string;
  initial: boolean;
}
export interface BundleReport {
  chunks: ChunkRow[];
  initialRaw: number;
  initialGzip: number;
  budgetBytes: number;
  withinBudget: boolean;
}
export declare const INITIAL_JS_BUDGET_BYTES: number;
export declare function initialJsFiles(manifest: Manifest): string[];
export declare function bundleReport(
  manifest: Manifest,
  sizes: Record<string, ChunkSize>,
  budgetBytes?: number,
): BundleReport;
export declare function kB(bytes: number): string;
export declare function formatReport(report: BundleReport): string;
export declare function measureDist(distDir?: string, budgetBytes?: number): BundleReport;
