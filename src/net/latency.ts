/**
 * One-way latency distributions. Every draw is an integer number of
 * microseconds, never negative (a draw below zero is drawn again, then
 * clamped), and comes from the stream it is handed: the network's.
 */
import type { Micros } from '../api/types.js';
import type { Rng } from '../sim/rng.js';

export type LatencySpec =
  | { readonly kind: 'constant'; readonly value: Micros }
  | { readonly kind: 'uniform'; readonly min: Micros; readonly max: Micros }
  | { readonly kind: 'normal'; readonly mean: Micros; readonly stddev: Micros }
  | { readonly kind: 'lognormal'; readonly median: Micros; readonly sigma: number }
  | { readonly kind: 'pareto'; readonly scale: Micros; readonly shape: number };

const REDRAWS_BEFORE_CLAMP = 8;

function standardNormal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function drawOnce(spec: LatencySpec, rng: Rng): number {
  switch (spec.kind) {
    case 'constant':
      return spec.value;
    case 'uniform':
      return spec.min + rng.next() * (spec.max - spec.min);
    case 'normal':
      return spec.mean + spec.stddev * standardNormal(rng);
    case 'lognormal':
      return spec.median * Math.exp(spec.sigma * standardNormal(rng));
    case 'pareto':
      return spec.scale / Math.pow(1 - rng.next(), 1 / spec.shape);
  }
}

/** Draws one latency in µs (an integer ≥ 0). */
export function sampleLatency(spec: LatencySpec, rng: Rng): Micros {
  if (spec.kind === 'constant') return spec.value;
  let value = drawOnce(spec, rng);
  for (let i = 0; value < 0 && i < REDRAWS_BEFORE_CLAMP; i++) value = drawOnce(spec, rng);
  return Math.max(0, Math.round(value));
}

/** The distribution's median in µs (for a normal truncated at zero, of the untruncated one when its mean is positive). */
export function medianLatency(spec: LatencySpec): Micros {
  switch (spec.kind) {
    case 'constant':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'normal':
      return Math.max(0, spec.mean);
    case 'lognormal':
      return spec.median;
    case 'pareto':
      return spec.scale * Math.pow(2, 1 / spec.shape);
  }
}

/** Short human text: `uniform 5–15ms`. */
export function describeLatency(spec: LatencySpec): string {
  const ms = (micros: number) => `${+(micros / 1000).toFixed(3)}ms`;
  switch (spec.kind) {
    case 'constant':
      return `constant ${ms(spec.value)}`;
    case 'uniform':
      return `uniform ${ms(spec.min)}–${ms(spec.max)}`;
    case 'normal':
      return `normal mean ${ms(spec.mean)} sd ${ms(spec.stddev)}`;
    case 'lognormal':
      return `lognormal median ${ms(spec.median)} σ ${spec.sigma}`;
    case 'pareto':
      return `pareto scale ${ms(spec.scale)} α ${spec.shape}`;
  }
}
