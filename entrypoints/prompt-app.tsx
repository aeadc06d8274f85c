// prompt.html's script (entrypoints/prompt/main.tsx), as an unlisted script: WXT builds it on
// its own, as one file with one stylesheet (assets/prompt-app.css), instead of a module with
// chunks shared with the popup.
import { startPrompt } from './prompt/main';

export default defineUnlistedScript(startPrompt);
