/** Every endpoint that needs a credential once accounts (or JWTs) are on, for one room. */
export interface Endpoint {
  name: string;
  path: string;
  method?: string;
  body?: string;
}

export function endpointsOf(room: string): Endpoint[] {
  return [
    { name: 'GET /rooms', path: '/rooms' },
    { name: 'GET /ping', path: '/ping?t=1' },
    { name: 'GET /metrics', path: '/metrics' },
    { name: 'GET poll', path: `/rooms/${room}/messages?after=0&timeout=0` },
    { name: 'POST message', path: `/rooms/${room}/messages`, method: 'POST', body: '{"nick":"x","text":"hi"}' },
    { name: 'GET presence', path: `/rooms/${room}/presence` },
    { name: 'GET events', path: `/rooms/${room}/events` },
    { name: 'GET multi poll', path: `/messages?rooms=${room}:0&timeout=0` },
    { name: 'GET multi events', path: `/events?rooms=${room}` },
    { name: 'GET search', path: `/rooms/${room}/search?q=hi` },
    { name: 'POST /auth/ticket', path: '/auth/ticket', method: 'POST' },
    { name: 'GET /auth/whoami', path: '/auth/whoami' },
    { name: 'GET /dms', path: '/dms' },
    { name: 'GET /unread', path: '/unread' },
    { name: 'GET read marker', path: `/rooms/${room}/read` },
    { name: 'POST read marker', path: `/rooms/${room}/read`, method: 'POST', body: '{"seq":0}' },
  ];
}
