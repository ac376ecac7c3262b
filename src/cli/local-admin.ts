import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the CLI reaches the ordo that holds a PGlite data folder: that ordo writes `<dataDir>/local-admin.json`
 * (mode 0600: only its user can read it) with its pid, a loopback URL and a random token made at each start; its
 * local admin route accepts only that token, and only from 127.0.0.1 or ::1.
 */
export interface LocalAdmin {
  pid: number;
  url: string;
  token: string;
}

export const LOCAL_ADMIN_PATH = '/local-admin/commands';
export const localAdminFile = (dataDir: string) => join(dataDir, 'local-admin.json');

export function writeLocalAdmin(dataDir: string, admin: LocalAdmin): void {
  const file = localAdminFile(dataDir);
  const draft = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, JSON.stringify(admin), { mode: 0o600 });
  renameSync(draft, file);
}

export function readLocalAdmin(dataDir: string): LocalAdmin | null {
  try {
    const admin = JSON.parse(readFileSync(localAdminFile(dataDir), 'utf8')) as LocalAdmin;
    return Number.isInteger(admin.pid) && typeof admin.url === 'string' && typeof admin.token === 'string'
      ? admin
      : null;
  } catch {
    return null;
  }
}

/** Removes the file if it is still this process's (a successor may have written its own). */
export function removeLocalAdmin(dataDir: string, token: string): void {
  if (readLocalAdmin(dataDir)?.token !== token) return;
  try {
    unlinkSync(localAdminFile(dataDir));
  } catch {
    // already gone
  }
}
