export { type AlsImplementation, alsCapabilities, alsImplementation, createAlsStore } from './store.ts';
