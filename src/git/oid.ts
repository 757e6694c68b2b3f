/** Object ids. Pure. */

/**
 * True for git's all-zero object id (`0000…`, 40 or 64 digits): no object,
 * as git writes it for the missing side of an added or deleted file, a new or
 * deleted ref in pre-push input, or the pre-commit framework's empty "from".
 */
export const isNullOid = (oid: string): boolean => /^0+$/.test(oid);
