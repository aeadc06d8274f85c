export function publicSuffixRules(): string[];
export function publicSuffixListText(): string;
