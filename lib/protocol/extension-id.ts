/**
 * The extension's public key (manifest `key`) and the id Chrome derives from it. The key pins
 * the id for unpacked development builds and for the packaged extension alike, so the server's
 * CORS allow-list, enterprise policy and sign-in redirects can name one id. Only the public half
 * is here; the private key that signs a store upload is kept by whoever publishes.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7Rx0QqdLsE0OAW89tQ6gLQoxYz0PNpQn2JBt2pyIBB0anRS+M52BtNy2PRQ/cc+oPeV3YZs29AInLvCUttdh17bz1IMKqAHaMVVUffikDMs9shsrisqjK3qo2AcwV2OoD7aDZJ4qhcWAOTRScPKtciMN4D7M9DV3yep1bVLIaO/ShEVugrlHpAjklcPM35hdA7/Ez7aUN6aisOLfT9ubCVgWKlqI2MHWj+wXaptCY4iZYBCMXQClRFnNERMNOQf3xZQKrIUgExNUK4BQPfLeVsQTP09e9WLJclycL8o783B4/j4z8ABFajOuTOvEshXDqQQeAsI2UjIWQPzVcxTLLQIDAQAB';

/** Chrome's id for EXTENSION_PUBLIC_KEY (first 128 bits of its SHA-256, hex digits mapped to a–p). */
export const EXTENSION_ID = 'ecedhdaembmmekajpokfnlphejicnojd';

/** The extension's origin, as a server sees it in `Origin`. */
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
