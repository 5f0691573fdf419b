// What the sandbox tells the playground page, injected into its HTML as JSON (read by the browser code).

export interface PlaygroundConfig {
  graphqlUrl: string;
  realtimeUrl: string;
  cognitoEndpoint: string;
  userPoolId: string;
  clientId: string;
  region: string;
  /** Prefilled in the sign-in form: the user `npm start` creates. */
  defaultEmail: string;
}

/** The id of the `<script type="application/json">` element holding the config. */
export const CONFIG_ELEMENT_ID = 'playground-config';
