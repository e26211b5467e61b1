import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('should default to the embedded store on port 8080 under ./.data', () => {
    const sut = loadConfig({}, '/srv/app');

    expect(sut).toMatchObject({ port: 8080, store: 'embedded', dataDir: '/srv/app/.data', logLevel: 'info' });
    expect(sut.googleCloudProject).toBeUndefined();
  });

  it('should read every setting it is given', () => {
    const sut = loadConfig(
      {
        PORT: '3000',
        STORE: 'datastore',
        GOOGLE_CLIENT_IDS: 'a.apps.googleusercontent.com, b.apps.googleusercontent.com',
        DATA_DIR: '/var/picfeed',
        GOOGLE_CLOUD_PROJECT: 'picfeed-prod',
        DATASTORE_EMULATOR_HOST: '127.0.0.1:8081',
        DATASTORE_NAMESPACE: 'staging',
        LOG_LEVEL: 'warn',
      },
      '/srv/app',
    );

    expect(sut).toMatchObject({
      port: 3000,
      store: 'datastore',
      dataDir: '/var/picfeed',
      googleCloudProject: 'picfeed-prod',
      datastoreEmulatorHost: '127.0.0.1:8081',
      datastoreNamespace: 'staging',
      logLevel: 'warn',
      googleClientIds: ['a.apps.googleusercontent.com', 'b.apps.googleusercontent.com'],
      devSignIn: false,
      followerBatchSize: 5000,
      likerBatchSize: 5000,
    });
  });

  it('should keep the public media bucket apart from the private uploads bucket', () => {
    expect(loadConfig({ GCS_BUCKET: 'pf-uploads', GCS_MEDIA_BUCKET: 'pf-media' })).toMatchObject({
      gcsBucket: 'pf-uploads',
      gcsMediaBucket: 'pf-media',
    });
    for (const env of [{ GCS_BUCKET: 'pf-uploads' }, { GCS_BUCKET: 'pf-uploads', GCS_MEDIA_BUCKET: 'pf-uploads' }]) {
      expect(() => loadConfig(env)).toThrow('GCS_BUCKET needs GCS_MEDIA_BUCKET, another bucket');
    }
    expect(() => loadConfig({ GCS_MEDIA_BUCKET: 'pf-media' })).toThrow('GCS_MEDIA_BUCKET needs GCS_BUCKET');
    expect(loadConfig({}).imageDecodeConcurrency).toBeGreaterThanOrEqual(1);
    expect(() => loadConfig({ IMAGE_DECODE_CONCURRENCY: '0' })).toThrow('IMAGE_DECODE_CONCURRENCY');
  });

  it('should take batch sizes from 1 to 5,000 and refuse others', () => {
    expect(loadConfig({ FOLLOWER_BATCH_SIZE: '3', LIKER_BATCH_SIZE: '2' })).toMatchObject({
      followerBatchSize: 3,
      likerBatchSize: 2,
    });
    expect(() => loadConfig({ FOLLOWER_BATCH_SIZE: '5001' })).toThrow(
      'FOLLOWER_BATCH_SIZE must be an integer from 1 to 5000',
    );
    expect(() => loadConfig({ LIKER_BATCH_SIZE: '0' })).toThrow('LIKER_BATCH_SIZE must be an integer from 1 to 5000');
  });

  it('should limit writes to 120 per user and minute unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ writeRateLimit: 120 });
    expect(loadConfig({ WRITE_RATE_LIMIT: '5000' })).toMatchObject({ writeRateLimit: 5000 });
    expect(() => loadConfig({ WRITE_RATE_LIMIT: '0' })).toThrow(
      'WRITE_RATE_LIMIT must be an integer from 1 to 1000000',
    );
  });

  it('should turn the dev issuer on by default only for the embedded stores', () => {
    expect(loadConfig({}).devSignIn).toBe(true);
    expect(loadConfig({ STORE: 'memory' }).devSignIn).toBe(true);
    expect(
      loadConfig({ STORE: 'datastore', GOOGLE_CLOUD_PROJECT: 'picfeed-prod', GOOGLE_CLIENT_IDS: 'x' }).devSignIn,
    ).toBe(false);
  });

  it('should allow the dev issuer against Datastore only when forced', () => {
    const env = { STORE: 'datastore', DATASTORE_EMULATOR_HOST: '127.0.0.1:8081', DEV_SIGN_IN: 'true' };

    expect(() => loadConfig(env)).toThrow(/DEV_SIGN_IN=true with STORE=datastore .* set DEV_SIGN_IN_FORCE=true/);
    expect(loadConfig({ ...env, DEV_SIGN_IN_FORCE: 'true' }).devSignIn).toBe(true);
  });

  it('should name no admin unless told, and keep admin emails in lower case', () => {
    expect(loadConfig({}).adminEmails).toEqual([]);
    expect(loadConfig({ ADMIN_EMAILS: ' Ada@Example.com, bob@example.org ' }).adminEmails).toEqual([
      'ada@example.com',
      'bob@example.org',
    ]);
  });

  it('should give the emulator a local project id when none is set', () => {
    const env = { STORE: 'datastore', DATASTORE_EMULATOR_HOST: 'localhost:8081', GOOGLE_CLIENT_IDS: 'x' };

    expect(loadConfig(env).googleCloudProject).toBe('picfeed-local');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 1 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 1 to 65535, got "70000"'],
    [{ STORE: 'mysql' }, 'STORE must be one of embedded, memory, datastore, got "mysql"'],
    [{ STORE: 'datastore' }, 'GOOGLE_CLOUD_PROJECT is required with STORE=datastore (or set DATASTORE_EMULATOR_HOST)'],
    [
      { DATASTORE_EMULATOR_HOST: 'http://x' },
      'DATASTORE_EMULATOR_HOST must be host:port (e.g. 127.0.0.1:8081), got "http://x"',
    ],
    [
      { GOOGLE_CLOUD_PROJECT: 'Bad_Project' },
      'GOOGLE_CLOUD_PROJECT must be a Google Cloud project id, got "Bad_Project"',
    ],
    [{ DATASTORE_NAMESPACE: 'a/b' }, 'DATASTORE_NAMESPACE must be 1-100 letters, digits, ".", "_" or "-", got "a/b"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"'],
    [{ EMBEDDED_FSYNC: 'yes' }, 'EMBEDDED_FSYNC must be true or false, got "yes"'],
    [{ DEV_SIGN_IN: 'false' }, 'GOOGLE_CLIENT_IDS is required when DEV_SIGN_IN is off (nobody could sign in)'],
    [{ GOOGLE_CLIENT_IDS: 'a b' }, 'GOOGLE_CLIENT_IDS must be a comma-separated list of OAuth client ids, got "a b"'],
    [{ GOOGLE_CERTS_URL: 'ftp://x' }, 'GOOGLE_CERTS_URL must be an http(s) URL, got "ftp://x"'],
    [
      {
        STORE: 'datastore',
        GOOGLE_CLOUD_PROJECT: 'picfeed-prod',
        DEV_SIGN_IN: 'true',
        DEV_SIGN_IN_FORCE: 'true',
        ADMIN_EMAILS: 'a@x.org',
      },
      'ADMIN_EMAILS with DEV_SIGN_IN on Cloud Datastore would let anyone mint an admin token; turn one of them off',
    ],
    [
      { ADMIN_EMAILS: 'a@x.org,nobody' },
      'ADMIN_EMAILS must be a comma-separated list of email addresses, got "nobody"',
    ],
  ])('should refuse %j with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
