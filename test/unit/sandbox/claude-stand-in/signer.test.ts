// The stand-in's thinking signatures: an HMAC of the text under a secret of each start.
import { describe, expect, it } from '@jest/globals';
import { ThinkingSigner } from '../../../../sandbox/claude-stand-in/thinking.ts';

describe('thinking signatures of the stand-in', () => {
  it('verifies its own signature of a text', () => {
    // Arrange
    const signer = new ThinkingSigner();

    // Act
    const signature = signer.sign('Let me think.');

    // Assert
    expect(signer.verify('Let me think.', signature)).toBe(true);
  });

  it('refuses the signature of another text, and of another start', () => {
    // Arrange
    const signer = new ThinkingSigner();
    const signature = signer.sign('Let me think.');

    // Act / assert
    expect(signer.verify('Let me think!', signature)).toBe(false);
    expect(new ThinkingSigner().verify('Let me think.', signature)).toBe(false);
    expect(signer.verify('Let me think.', 'short')).toBe(false);
  });
});
