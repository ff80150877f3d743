const storageKey = 'tierline.tenant';

/** The tenant this browser last signed in to, when it was not the server's default. */
export function rememberedTenant(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function rememberTenant(slug: string | null): void {
  try {
    if (slug === null) window.localStorage.removeItem(storageKey);
    else window.localStorage.setItem(storageKey, slug);
  } catch {
    // Storage can be disabled; the tenant is then typed again next time.
  }
}
