// The authenticator as the client sees it: the interface src/authenticator exports, imported
// as a type only, so src/client never loads the engine (tests hand in a fake).

export type { Authenticator } from '../authenticator/index';
