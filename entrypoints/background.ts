export default defineBackground(() => {
  browser.runtime.onConnect.addListener(() => {});
});
