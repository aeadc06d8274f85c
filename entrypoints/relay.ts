export default defineUnlistedScript(() => {
  chrome.runtime.connect({ name: 'x' });
});
