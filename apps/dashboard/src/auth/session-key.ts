const STORAGE_KEY = 'callbridge.apiKey';

// sessionStorage, not localStorage: the key lives as long as this tab, and no other tab or later
// visit finds it.
export const sessionKey = {
  read: (): string | null => sessionStorage.getItem(STORAGE_KEY),
  write: (key: string) => sessionStorage.setItem(STORAGE_KEY, key),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};
