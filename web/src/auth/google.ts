/** Google Identity Services, loaded only when the API has a Google client id. */
interface CredentialResponse {
  credential: string;
}

interface GoogleId {
  initialize(options: {
    client_id: string;
    callback: (response: CredentialResponse) => void;
    auto_select?: boolean;
    use_fedcm_for_prompt?: boolean;
  }): void;
  renderButton(element: HTMLElement, options: Record<string, string | number>): void;
  prompt(): void;
  disableAutoSelect(): void;
}

declare global {
  interface Window {
    google?: { accounts: { id: GoogleId } };
  }
}

const SCRIPT = 'https://accounts.google.com/gsi/client';
let loading: Promise<GoogleId> | undefined;
let onCredential: (idToken: string) => void = () => undefined;

/** Loads the script once and initialises it for this client id; every credential goes to the latest handler. */
export function googleSignIn(clientId: string, handler: (idToken: string) => void): Promise<GoogleId> {
  onCredential = handler;
  loading ??= new Promise<GoogleId>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = SCRIPT;
    script.async = true;
    script.onload = () => {
      const id = window.google?.accounts.id;
      if (id === undefined) {
        reject(new Error('Google sign-in did not load'));
        return;
      }
      id.initialize({
        client_id: clientId,
        callback: (response) => onCredential(response.credential),
        auto_select: true,
        use_fedcm_for_prompt: true,
      });
      resolve(id);
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error('Google sign-in could not be loaded'));
    };
    document.head.append(script);
  });
  return loading;
}
