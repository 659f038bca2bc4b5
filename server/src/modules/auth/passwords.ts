import bcrypt from 'bcrypt';

/** bcrypt (native addon, runs on libuv's thread pool) at the configured cost. */
export class Passwords {
  private dummy?: Promise<string>;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /** Spends the time of a real check, so an unknown email answers as slowly as a wrong password. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= bcrypt.hash('no-such-account-dummy-password', this.cost);
    await bcrypt.compare(password, await this.dummy);
    return false;
  }
}
