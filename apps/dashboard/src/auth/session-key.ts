import type { KeyRole } from './key-role.ts';

const STORAGE_KEYS: Record<KeyRole, string> = {
  read: 'callbridge.readKey',
  admin: 'callbridge.adminKey',
};
// What versions before admin keys stored; cleared on sign-out so no key outlives it.
const LEGACY_KEY = 'callbridge.apiKey';

export type SessionKeys = Partial<Record<KeyRole, string>>;

// sessionStorage, not localStorage: the keys live as long as this tab, and no other tab or later
// visit finds them. One of each role, so adding an admin key keeps the calls views.
export const sessionKeys = {
  read(): SessionKeys {
    const keys: SessionKeys = {};
    for (const role of ['read', 'admin'] as const) {
      const key = sessionStorage.getItem(STORAGE_KEYS[role]);
      if (key) keys[role] = key;
    }
    return keys;
  },
  write: (role: KeyRole, key: string) => sessionStorage.setItem(STORAGE_KEYS[role], key),
  forget: (role: KeyRole) => sessionStorage.removeItem(STORAGE_KEYS[role]),
  clear() {
    for (const name of [...Object.values(STORAGE_KEYS), LEGACY_KEY]) sessionStorage.removeItem(name);
  },
};
