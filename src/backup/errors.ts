// A backup file Latchkey can't use: the message is a sentence for the user that says what is
// wrong and where (the item and the field), e.g. "Item 3 (github.com): key is not base64url."

export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError';
}

/** Where a problem is: "the file", or an item by its number and site when known. */
export function itemPlace(index: number, rpId?: unknown): string {
  const site = typeof rpId === 'string' && rpId.length > 0 && rpId.length <= 80 ? ` (${rpId})` : '';
  return `Item ${index + 1}${site}`;
}

export function formatError(place: string, problem: string): BackupFormatError {
  return new BackupFormatError(`${place}: ${problem}.`);
}
