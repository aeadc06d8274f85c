// The prompt window's script, built as one classic script with one stylesheet
// (entrypoints/prompt-app.tsx): prompt.html then loads three files instead of seven, which is
// most of what the window costs between its navigation and its first paint. The port to the
// service worker opens first, before anything renders (connection.ts).
import { render } from 'preact';
import { openPromptConnection } from '../../components/prompt/connection';
import { PromptApp } from '../../components/prompt/PromptApp';
import '../../components/theme.css';

export function startPrompt(): void {
  const connection = openPromptConnection(new URLSearchParams(location.search).get('ceremony') ?? '');
  render(<PromptApp connection={connection} />, document.getElementById('app')!);
}
