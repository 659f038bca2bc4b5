import bcrypt from 'bcrypt';
import { Passwords } from './passwords';

describe('Passwords (native bcrypt)', () => {
  it('loads the native bcrypt addon and really hashes at the given cost', async () => {
    const passwords = new Passwords(5);
    const hash = await passwords.hash('correct horse battery');
    // Modular crypt format: $2b$<cost>$<22 chars salt><31 chars hash>
    expect(hash).toMatch(/^\$2b\$05\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.getRounds(hash)).toBe(5);
    expect(hash).not.toContain('correct horse');
    // Salted: the same password hashes differently each time, and both verify.
    const again = await passwords.hash('correct horse battery');
    expect(again).not.toBe(hash);
    await expect(passwords.verify('correct horse battery', hash)).resolves.toBe(true);
    await expect(passwords.verify('correct horse battery', again)).resolves.toBe(true);
    await expect(passwords.verify('correct horse batterz', hash)).resolves.toBe(false);
  });

  it('agrees with a hash from another bcrypt implementation (the OpenBSD test vector)', async () => {
    // From the bcrypt test suite: password "U*U", cost 5.
    await expect(new Passwords(5).verify('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW')).resolves.toBe(true);
  });

  it('answers "no" for an unknown account after doing the same work', async () => {
    await expect(new Passwords(4).verifyNothing('whatever1')).resolves.toBe(false);
  });
});
