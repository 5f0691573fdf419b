// The test environment: jest's Node environment without Node 22's global `navigator`.
//
// amazon-cognito-identity-js and Amplify's Auth carry jsbn's BigInteger, which picks its multiply routine by sniffing
// `navigator`: with no navigator (Node 20, and Lambda) it takes `am3`; with Node 22's navigator (which has no
// `appName`) it takes `am1`, a floating-point routine. In plain Node 22 the two cost the same (one SRP `A` value:
// 83 ms against 95 ms), but inside jest's vm context `am1` is about 60 times slower (5.5 s for one `A` value), which
// makes every signed-in test take seconds per user. Hiding `navigator` keeps the routine the one Node 20 and the
// browsers tested in test/e2e/ take; nothing under test reads `navigator` otherwise.
import { TestEnvironment } from 'jest-environment-node';

export default class NodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    delete this.global.navigator;
  }
}
