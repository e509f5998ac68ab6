//! Managers' signing keys: Ed25519 key pairs whose secret half is sealed by the manager's password (Argon2id, then XChaCha20-Poly1305).
//!
//! A manager signs what only a manager may do — an approval, an exam ticket, a new manager account,
//! a checkpoint of the chains — so that someone who can write the database file, but does not know
//! a manager's password, cannot forge it. The public half is stored in the clear; the secret half
//! only sealed.

use super::RecordsError;
use crate::domain::digest::hex;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Argon2id parameters for passwords and for the key that seals a secret key: OWASP's minimum for
/// Argon2id (19 MiB of memory, 2 passes, 1 lane).
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
pub const ARGON2_PASSES: u32 = 2;
pub const ARGON2_LANES: u32 = 1;

/// The Argon2id hasher with callforge's parameters.
pub fn argon2() -> argon2::Argon2<'static> {
    let params = argon2::Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, Some(32))
        .unwrap_or(argon2::Params::DEFAULT);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Fresh random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N], RecordsError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| RecordsError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A seed for an exam ticket, drawn from the operating system (below 10¹², so people can read it).
pub(super) fn random_seed() -> Result<u64, RecordsError> {
    Ok(u64::from_le_bytes(random::<8>()?) % 1_000_000_000_000)
}

/// A manager's key as stored: the public key, and the secret key sealed by their password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKey {
    /// The Ed25519 public key, hex.
    pub public: String,
    /// salt (16 bytes) ‖ nonce (24 bytes) ‖ XChaCha20-Poly1305 ciphertext of the secret key, hex.
    pub sealed: String,
}

/// A manager's secret key, unsealed for one action.
#[derive(Debug)]
pub struct ManagerKey(SigningKey);

impl ManagerKey {
    /// A new key pair, sealed by `password`.
    pub fn generate(password: &str) -> Result<(ManagerKey, SealedKey), RecordsError> {
        let key = ManagerKey(SigningKey::from_bytes(&random::<32>()?));
        let sealed = key.seal(password)?;
        Ok((key, sealed))
    }

    /// Seals the secret key by `password` (a new salt and nonce each time).
    pub fn seal(&self, password: &str) -> Result<SealedKey, RecordsError> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let cipher = XChaCha20Poly1305::new(&wrapping_key(password, &salt)?.into());
        let ciphertext = cipher
            .encrypt(&XNonce::from(nonce), self.0.to_bytes().as_slice())
            .map_err(|_| RecordsError::Random("cannot seal the key".into()))?;
        let mut blob = Vec::with_capacity(16 + 24 + ciphertext.len());
        blob.extend_from_slice(&salt);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ciphertext);
        Ok(SealedKey { public: hex(self.0.verifying_key().as_bytes()), sealed: hex(&blob) })
    }

    /// The secret key of a sealed key, if `password` is the one it was sealed with and the public
    /// key matches.
    pub fn unseal(sealed: &SealedKey, password: &str) -> Option<ManagerKey> {
        let blob = from_hex(&sealed.sealed)?;
        if blob.len() < 16 + 24 + 16 {
            return None;
        }
        let (salt, rest) = blob.split_at(16);
        let (nonce, ciphertext) = rest.split_at(24);
        let cipher = XChaCha20Poly1305::new(&wrapping_key(password, salt).ok()?.into());
        let nonce: [u8; 24] = nonce.try_into().ok()?;
        let secret = cipher.decrypt(&XNonce::from(nonce), ciphertext).ok()?;
        let secret: [u8; 32] = secret.as_slice().try_into().ok()?;
        let key = SigningKey::from_bytes(&secret);
        (hex(key.verifying_key().as_bytes()) == sealed.public).then_some(ManagerKey(key))
    }

    /// The public key, hex.
    pub fn public(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }

    /// Signs a statement of one kind (`kind` keeps a signature of one kind from passing for
    /// another); returns the signature, hex.
    pub fn sign(&self, kind: &str, parts: &[&str]) -> String {
        hex(&self.0.sign(&message(kind, parts)).to_bytes())
    }
}

/// Whether `signature` (hex) is `public`'s (hex) signature of the statement.
pub fn verify(public: &str, signature: &str, kind: &str, parts: &[&str]) -> bool {
    let (Some(public), Some(signature)) = (from_hex(public), from_hex(signature)) else { return false };
    let (Ok(public), Ok(signature)) =
        (<[u8; 32]>::try_from(public.as_slice()), <[u8; 64]>::try_from(signature.as_slice()))
    else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&public) else { return false };
    key.verify_strict(&message(kind, parts), &Signature::from_bytes(&signature)).is_ok()
}

/// A short fingerprint of a public key, for people to compare (the first 16 hex digits of its
/// SHA-256, in groups of four).
pub fn fingerprint(public: &str) -> String {
    let digest = crate::domain::digest::sha256_parts(&["callforge-key", public]);
    digest
        .chars()
        .take(16)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The bytes a signature covers: the kind and every part, each length-prefixed, hashed.
fn message(kind: &str, parts: &[&str]) -> Vec<u8> {
    let mut all = Vec::with_capacity(parts.len() + 2);
    all.push("callforge-signed-1");
    all.push(kind);
    all.extend_from_slice(parts);
    crate::domain::digest::sha256_parts(&all).into_bytes()
}

/// The 32-byte key that seals a secret key, from the password and a salt (Argon2id).
fn wrapping_key(password: &str, salt: &[u8]) -> Result<[u8; 32], RecordsError> {
    let mut key = [0u8; 32];
    argon2()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| RecordsError::Random(e.to_string()))?;
    Ok(key)
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_password_only() {
        let (key, sealed) = ManagerKey::generate("correct horse battery").expect("key");
        assert_eq!(sealed.public, key.public());
        assert!(ManagerKey::unseal(&sealed, "correct horse battery").is_some());
        assert!(ManagerKey::unseal(&sealed, "correct horse batterY").is_none());
        // Swapping in another public key is noticed.
        let (_, other) = ManagerKey::generate("another long password").expect("key");
        let swapped = SealedKey { public: other.public, sealed: sealed.sealed.clone() };
        assert!(ManagerKey::unseal(&swapped, "correct horse battery").is_none());
        // A damaged blob is no key, not a panic.
        let damaged = SealedKey { public: sealed.public.clone(), sealed: "zz".into() };
        assert!(ManagerKey::unseal(&damaged, "correct horse battery").is_none());
    }

    #[test]
    fn a_signature_covers_its_kind_and_every_part() {
        let (key, sealed) = ManagerKey::generate("correct horse battery").expect("key");
        let sig = key.sign("promotion", &["7", "Generator", "Closer"]);
        assert!(verify(&sealed.public, &sig, "promotion", &["7", "Generator", "Closer"]));
        assert!(!verify(&sealed.public, &sig, "promotion", &["8", "Generator", "Closer"]));
        assert!(!verify(&sealed.public, &sig, "ticket", &["7", "Generator", "Closer"]));
        assert!(!verify(&sealed.public, &sig, "promotion", &["7", "GeneratorCloser", ""]), "parts are length-prefixed");
        assert!(!verify(&sealed.public, "00", "promotion", &["7", "Generator", "Closer"]));
        assert!(!verify("ééé", &sig, "promotion", &["7", "Generator", "Closer"]));
        assert_eq!(fingerprint(&sealed.public).len(), 19);
    }
}
