// Keeps WebAssembly on V8's baseline compiler (Liftoff) in this process. Prisma's query compiler is
// WebAssembly, and V8's optimising tier (TurboFan) recompiles its hot functions beside the baseline
// code: measured on 6,000 Prisma queries, Liftoff alone kept 40-60 MB less resident memory for the
// same or less CPU per query (the tier-up's background compiles cost more than they saved; README ›
// Performance). Prisma is the only WebAssembly FleetPrompt runs. V8 reads the flag when it
// compiles a module, so it must be set before the first Prisma query: createDb sets it (setting it
// again for a second client changes nothing).
import v8 from 'node:v8';

export function keepWasmOnBaselineTier(): void {
  v8.setFlagsFromString('--liftoff-only');
}
