// Every unit test runs outside an extension: the Public Suffix List's text comes from the
// generator the build uses, not from the extension's file.
import { setPublicSuffixSource } from '../../src/client/public-suffix';
import { publicSuffixListText } from '../../scripts/public-suffix-list.mjs';

setPublicSuffixSource(async () => publicSuffixListText());
