// How a page gets the buyer's canonical bearer token: a link may carry it in the URL fragment (#token=…), which
// browsers never send to servers or write to access logs. The page moves it into sessionStorage (this tab only)
// and removes it from the address bar; without one, the page shows its sign-in form (POST /v1/auth/login).

const KEY = 'ordo.memberToken';

export function takeMemberToken() {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(KEY, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

export function saveMemberToken(token) {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
