// The experiments registry: the one source of variant facts (names, packages, what each can take,
// how it is evaluated), as a plain object map. The sweep schema's variant names, the dashboard's
// lists and the versions each run records all come from here.
import { betaVaeVariant } from './beta-vae-variant.js';
import { cvaeVariant } from './cvae-variant.js';
import type { Variant } from './runner-types.js';
import { vaeVariant } from './vae-variant.js';
import { vqVaeVariant } from './vq-vae-variant.js';

export const variants = {
  vae: vaeVariant,
  'beta-vae': betaVaeVariant,
  cvae: cvaeVariant,
  'vq-vae': vqVaeVariant,
} satisfies Record<string, Variant>;

export type VariantName = keyof typeof variants;

export const VARIANT_NAMES = Object.keys(variants) as [VariantName, ...VariantName[]];

/** The variant of a name the store holds (null for an unknown or missing name). */
export function variantOf(name: string | null | undefined): Variant | null {
  return name != null && Object.hasOwn(variants, name) ? variants[name as VariantName] : null;
}
