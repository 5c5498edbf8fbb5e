import { setupBackground } from '../lib/background/setup';

export default defineBackground(() => {
  setupBackground();
});
