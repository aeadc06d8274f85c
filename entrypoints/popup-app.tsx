// popup.html's script (entrypoints/popup/main.tsx), as an unlisted script: WXT builds it on
// its own, as one file with one stylesheet (assets/popup-app.css), instead of a module whose
// imports and shared chunks the page fetches one after another before anything runs.
import { startPopup } from './popup/main';

export default defineUnlistedScript(startPopup);
