import { describe, expect, it } from 'vitest';
import { algorithmName, avatarHue, avatarLetter, relativeDay, usageLine } from '../../../components/popup/format';

const noon = new Date(2025, 2, 12, 12, 0).getTime();
const day = 24 * 3600 * 1000;

describe('relativeDay', () => {
  it('says today, yesterday and days ago within a week, in local days', () => {
    expect(relativeDay(new Date(2025, 2, 12, 0, 5).getTime(), noon, 'en')).toBe('today');
    expect(relativeDay(new Date(2025, 2, 11, 23, 55).getTime(), noon, 'en')).toBe('yesterday');
    expect(relativeDay(noon - 3 * day, noon, 'en')).toBe('3 days ago');
  });

  it('gives a short date after a week: month and day this year, month and year before', () => {
    expect(relativeDay(new Date(2025, 0, 5).getTime(), noon, 'en')).toBe('Jan 5');
    expect(relativeDay(new Date(2024, 11, 24).getTime(), noon, 'en')).toBe('Dec 2024');
  });
});

describe('usageLine', () => {
  it('says when a passkey was used and saved, or that it never was used', () => {
    expect(usageLine({ createdAt: noon - 2 * day, lastUsedAt: noon }, noon, 'en')).toBe('Used today · saved 2 days ago');
    expect(usageLine({ createdAt: noon, lastUsedAt: null }, noon, 'en')).toBe('Not yet used · saved today');
  });

  it('stays short with two dates, so a row never cuts it', () => {
    const line = usageLine({ createdAt: new Date(2024, 11, 26).getTime(), lastUsedAt: new Date(2025, 1, 28).getTime() }, noon, 'en');
    expect(line).toBe('Used Feb 28 · saved Dec 2024');
  });
});

describe('avatars', () => {
  it('takes the first letter or digit of the site, past www.', () => {
    expect(avatarLetter('github.com')).toBe('G');
    expect(avatarLetter('www.example.com')).toBe('E');
    expect(avatarLetter('1password.com')).toBe('1');
    expect(avatarLetter('')).toBe('?');
  });

  it('gives a site the same hue every time, and different sites usually differ', () => {
    expect(avatarHue('github.com')).toBe(avatarHue('github.com'));
    const hues = new Set(['a.example', 'b.example', 'c.example', 'd.example', 'e.example'].map(avatarHue));
    expect(hues.size).toBeGreaterThan(3);
    for (const hue of hues) expect(hue).toBeGreaterThanOrEqual(0);
  });
});

describe('algorithmName', () => {
  it('names the algorithms Latchkey makes, with the COSE number', () => {
    expect(algorithmName(-7)).toBe('ES256 (ECDSA P-256) · COSE -7');
    expect(algorithmName(-8)).toBe('EdDSA (Ed25519) · COSE -8');
    expect(algorithmName(-257)).toBe('RS256 (RSA) · COSE -257');
    expect(algorithmName(-35)).toBe('Unknown algorithm · COSE -35');
  });
});
