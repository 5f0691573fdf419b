// Short-lived tokens from the sandbox's own user pool code: a second UserPool with the same id, signing key and
// app clients as the sandbox's, whose clock is set back so that the tokens it issues expire a few seconds from now.
import { join } from 'node:path';
import { UserPool, userPoolSettingsFromTemplate } from '../../../sandbox/cognito/pool.ts';
import type { Sandbox } from '../../../sandbox/sandbox.ts';

export interface ExpiringUser { accessToken: string; sub: string; expiresAt: number }

/**
 * A second pool with the sandbox's pool's id, signing key and app clients, whose clock runs the template's access-token
 * validity, less `seconds`, behind: its tokens verify against the sandbox's pool and expire `seconds` from now.
 * `stateFile`: a copy of the sandbox's kept users and sessions for it to start from (it writes there, never over the
 * sandbox's own file).
 */
export function backdatedPool(sandbox: Sandbox, stateDir: string, seconds: number, name: string, stateFile?: string): { pool: UserPool; clientId: string } {
  const [model] = sandbox.template.userPools;
  const [served] = [...sandbox.userPools.values()];
  if (!model || !served) throw new Error('the template has no user pool');
  const settings = userPoolSettingsFromTemplate(model.properties, model.clients);
  const [client] = settings.clients;
  const validityMs = (client?.accessTokenValidityMinutes ?? 60) * 60_000;
  const pool = new UserPool({
    ...settings,
    poolId: served.poolId,
    region: served.region,
    issuerBase: served.issuer.slice(0, -served.poolId.length - 1),
    keyFile: join(stateDir, 'cognito-keys.json'),
    ...(stateFile === undefined ? {} : { stateFile }),
    log: sandbox.log.child(name),
    now: () => Date.now() - validityMs + seconds * 1000,
  });
  return { pool, clientId: client?.clientId ?? '' };
}

/** Signs `email` in (USER_PASSWORD_AUTH) with a backdated pool: its access token expires `seconds` from now. */
export async function expiringUser(sandbox: Sandbox, stateDir: string, email: string, seconds: number): Promise<ExpiringUser> {
  const { pool, clientId } = backdatedPool(sandbox, stateDir, seconds, 'expiring-pool');
  const password = 'Passw0rd!';
  await pool.adminCreateUser({ username: email, password, attributes: { email, email_verified: 'true' } });
  const answer = await pool.handle('AWSCognitoIdentityProviderService.InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  const result = (answer.body as { AuthenticationResult?: { AccessToken: string } }).AuthenticationResult;
  if (!result) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
  const claims = JSON.parse(Buffer.from(result.AccessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; exp: number };
  return { accessToken: result.AccessToken, sub: claims.sub, expiresAt: claims.exp * 1000 };
}
