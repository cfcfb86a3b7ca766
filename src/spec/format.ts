/** The `formatVersion` of native threat models, and of the ones converted from a listing. */
export const FORMAT_VERSION = 1;
