//! Changing the vault key (`Vault::rekey`): afterwards the payload, the
//! slot details and every attachment decrypt with the new master identity
//! and not with the old one, which is recovered from an old copy of the
//! file exactly as docs/format.md describes (no fieldvault code); a removed
//! teammate who kept the old master is locked out; the remaining slots
//! open the vault; interrupted re-keys leave readable states.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fieldvault_vault::{destroy, header_info, Access, Passphrase, Unlock, Vault, VaultError};

use crate::util::*;

fn adir(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".attachments");
    PathBuf::from(s)
}

/// id -> plaintext
type Atts = BTreeMap<String, Vec<u8>>;

/// A vault with notes, a teammate slot and three attachments (short, 3
/// age chunks, empty). Returns (dir, path, attachments, teammate identity).
fn fixture() -> (TestDir, PathBuf, Atts, String) {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["hello field", "Жанар"]);
    let (mate, r) = keypair();
    v.add_recipient(&r, "Aigerim's laptop").unwrap();
    let mut atts = Atts::new();
    for data in [
        b"consent audio".to_vec(),
        (0..200_000u32).map(|i| (i * 13 % 251) as u8).collect(),
        Vec::new(),
    ] {
        atts.insert(v.put_attachment(&data).unwrap(), data);
    }
    drop(v);
    (t, p, atts, mate)
}

/// The attachment files as they are on disk: id -> bytes of `<id>.age`.
fn attachment_files(p: &Path, atts: &Atts) -> BTreeMap<String, Vec<u8>> {
    atts.keys()
        .map(|id| {
            let f = adir(p).join(format!("{id}.age"));
            (id.clone(), std::fs::read(f).unwrap())
        })
        .collect()
}

fn expected_names(atts: &Atts) -> Vec<String> {
    atts.keys().map(|id| format!("{id}.age")).collect()
}

/// Opens with `unlock` and checks the notes and every attachment.
fn check_opens(p: &Path, unlock: &Unlock, atts: &Atts) {
    let v = Vault::open(p, unlock, Access::Read).unwrap();
    v.integrity_check().unwrap();
    assert_eq!(notes(&v), ["hello field", "Жанар"]);
    for (id, data) in atts {
        assert_eq!(
            &v.get_attachment(id).unwrap()[..],
            &data[..],
            "attachment {id}"
        );
    }
}

/// Everything secret in the file decrypts with `master` (and the MAC
/// verifies), checked with age and HMAC directly.
fn assert_master_opens(
    file: &[u8],
    files: &BTreeMap<String, Vec<u8>>,
    atts: &Atts,
    master: &age::x25519::Identity,
) {
    let parts = split_vault(file);
    assert!(mac_verifies(file, master), "MAC with the master");
    let image = age::decrypt(master, &parts.payload).expect("payload");
    assert!(image.starts_with(b"SQLite format 3\0"));
    let info = age::decrypt(master, parts.slot_info.as_bytes()).expect("slot-info");
    assert!(String::from_utf8(info)
        .unwrap()
        .contains("Aigerim's laptop"));
    for (id, f) in files {
        assert_eq!(age::decrypt(master, f).expect("attachment"), atts[id]);
    }
}

/// Nothing in the file, nor any attachment, decrypts with `master`, and
/// the MAC does not verify with it.
fn assert_master_locked_out(
    file: &[u8],
    files: &BTreeMap<String, Vec<u8>>,
    master: &age::x25519::Identity,
) {
    let parts = split_vault(file);
    assert!(
        !mac_verifies(file, master),
        "MAC verifies with an old master"
    );
    assert!(matches!(
        age::decrypt(master, &parts.payload),
        Err(age::DecryptError::NoMatchingKeys)
    ));
    assert!(matches!(
        age::decrypt(master, parts.slot_info.as_bytes()),
        Err(age::DecryptError::NoMatchingKeys)
    ));
    for (id, f) in files {
        assert!(
            matches!(
                age::decrypt(master, f),
                Err(age::DecryptError::NoMatchingKeys)
            ),
            "attachment {id} opens with an old master"
        );
    }
}

#[test]
fn rekey_replaces_the_master_everywhere() {
    let (_t, p, atts, mate) = fixture();
    let old_file = std::fs::read(&p).unwrap();
    let old_files = attachment_files(&p, &atts);
    // An adversary with this copy and the passphrase of the time:
    let old_master = master_from_passphrase(&old_file, &p, PASS);
    assert_master_opens(&old_file, &old_files, &atts, &old_master);

    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    let info = v.rekey(Some(&pass())).unwrap();
    assert_eq!(info.slots, 2);
    assert_eq!(info.attachments, 3);
    assert_eq!(info.leftovers, 0);
    assert_eq!(info.payload_size, header_info(&p).unwrap().payload_size);
    // The session goes on with the new key.
    let late = v.put_attachment(b"after the rekey").unwrap();
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('later')", [])
        .unwrap();
    v.commit().unwrap();
    v.connection()
        .execute("DELETE FROM note WHERE body = 'later'", [])
        .unwrap();
    v.commit().unwrap();
    drop(v);

    let new_file = std::fs::read(&p).unwrap();
    let mut atts_now = atts.clone();
    atts_now.insert(late.clone(), b"after the rekey".to_vec());
    let new_files = attachment_files(&p, &atts_now);
    let new_master = master_from_passphrase(&new_file, &p, PASS);
    assert!(!same_identity(&old_master, &new_master));
    let via_mate = master_from_teammate(&new_file, &mate).expect("teammate slot rewrapped");
    assert!(same_identity(&via_mate, &new_master));
    assert_master_opens(&new_file, &new_files, &atts_now, &new_master);
    assert_master_locked_out(&new_file, &new_files, &old_master);
    // Every attachment file was rewritten; the old copies still open
    // with the old master (what rekey cannot reach).
    for (id, f) in &old_files {
        assert_ne!(&new_files[id], f);
        assert!(age::decrypt(&old_master, f).is_ok());
    }

    // Same slots (ids, kinds), a new salt, the same KDF parameters.
    let (a, b) = (split_vault(&old_file), split_vault(&new_file));
    assert_ne!(a.salt, b.salt);
    assert_eq!((a.m_kib, a.t, a.p), (b.m_kib, b.t, b.p));
    let ids = |x: &Parts| {
        x.slots
            .iter()
            .map(|s| (s.0.clone(), s.1.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    for (sa, sb) in a.slots.iter().zip(&b.slots) {
        assert_ne!(sa.2, sb.2, "slot {} not rewrapped", sa.0);
    }
    // Only attachment files in the folder: nothing staged or temporary.
    assert_eq!(dir_names(&adir(&p)), expected_names(&atts_now));

    check_opens(&p, &unlock(), &atts_now);
    check_opens(&p, &identity_unlock(&mate), &atts_now);
    let v = Vault::open(&p, &identity_unlock(&mate), Access::Read).unwrap();
    assert_eq!(v.slots()[1].label, "Aigerim's laptop");
}

#[test]
fn removed_teammate_who_kept_the_master_is_locked_out() {
    let (_t, p, atts, leaver) = fixture();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    let (stayer, r) = keypair();
    v.add_recipient(&r, "stays").unwrap();
    drop(v);
    // The teammate opened the vault once and kept the master identity.
    let kept = master_from_teammate(&std::fs::read(&p).unwrap(), &leaver).unwrap();

    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    let leaver_slot = v.slots()[1].id.clone();
    v.remove_slot(&leaver_slot).unwrap();
    // The residual risk rekey closes: removing the slot alone does not
    // stop the kept master from reading the current file.
    let after_removal = std::fs::read(&p).unwrap();
    assert!(mac_verifies(&after_removal, &kept));
    assert!(age::decrypt(&kept, &split_vault(&after_removal).payload).is_ok());

    v.rekey(Some(&pass())).unwrap();
    let late = v.put_attachment(b"recorded after the rekey").unwrap();
    drop(v);

    let file = std::fs::read(&p).unwrap();
    let mut atts_now = atts.clone();
    atts_now.insert(late, b"recorded after the rekey".to_vec());
    let files = attachment_files(&p, &atts_now);
    assert_master_locked_out(&file, &files, &kept);
    assert!(master_from_teammate(&file, &leaver).is_none());
    assert!(matches!(
        Vault::open(&p, &identity_unlock(&leaver), Access::Read),
        Err(VaultError::WrongIdentity)
    ));
    // The passphrase and the remaining teammate still open everything.
    check_opens(&p, &unlock(), &atts_now);
    check_opens(&p, &identity_unlock(&stayer), &atts_now);
}

#[test]
fn passphrase_rules() {
    let (_t, p, atts, mate) = fixture();
    let before = std::fs::read(&p).unwrap();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    assert!(matches!(v.rekey(None), Err(VaultError::PassphraseRequired)));
    assert_eq!(
        std::fs::read(&p).unwrap(),
        before,
        "refused rekey changed the file"
    );
    // A new passphrase can be set at the same time.
    let new = Passphrase::new("a brand new passphrase".into()).unwrap();
    let kdf = v.kdf_params();
    v.rekey(Some(&new)).unwrap();
    assert_eq!(v.kdf_params(), kdf);
    drop(v);
    assert!(matches!(
        Vault::open(&p, &unlock(), Access::Read),
        Err(VaultError::WrongPassphrase)
    ));
    check_opens(&p, &Unlock::Passphrase(new), &atts);

    // A vault without a passphrase slot: no passphrase, or refused.
    let mut v = Vault::open(&p, &identity_unlock(&mate), write_access()).unwrap();
    v.remove_slot("1").unwrap();
    assert!(matches!(
        v.rekey(Some(&pass())),
        Err(VaultError::NoPassphraseSlot)
    ));
    let info = v.rekey(None).unwrap();
    assert_eq!(info.slots, 1);
    drop(v);
    check_opens(&p, &identity_unlock(&mate), &atts);

    // Read-only sessions cannot re-key.
    let mut r = Vault::open(&p, &identity_unlock(&mate), Access::Read).unwrap();
    assert!(matches!(r.rekey(None), Err(VaultError::ReadOnly)));
}

#[test]
fn uncommitted_changes_stay_in_memory() {
    let (_t, p, atts, _) = fixture();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('pending')", [])
        .unwrap();
    v.rekey(Some(&pass())).unwrap();
    assert_eq!(notes(&v), ["hello field", "Жанар", "pending"]);
    check_opens(&p, &unlock(), &atts); // the committed notes only
    v.commit().unwrap();
    drop(v);
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(notes(&v), ["hello field", "Жанар", "pending"]);
}

#[test]
fn other_sessions_must_open_again() {
    let (_t, p, atts, _) = fixture();
    let mut reader = Vault::open(&p, &unlock(), Access::Read).unwrap();
    let id = atts.keys().next().unwrap().clone();
    reader.get_attachment(&id).unwrap();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    assert!(matches!(
        reader.get_attachment(&id),
        Err(VaultError::KeyChanged)
    ));
    assert!(matches!(reader.reload(), Err(VaultError::KeyChanged)));
    let e = reader
        .backup(
            &p.with_extension("b.age"),
            fieldvault_vault::BackupTo::Recipients(vec![keypair().1]),
        )
        .unwrap_err();
    assert!(matches!(e, VaultError::KeyChanged), "{e:?}");
    check_opens(&p, &unlock(), &atts);
}

#[test]
fn damaged_attachment_blocks_rekey_until_removed() {
    let (t, p, atts, _) = fixture();
    let bad = atts.keys().nth(1).unwrap().clone();
    let f = adir(&p).join(format!("{bad}.age"));
    let mut bytes = std::fs::read(&f).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 1; // in the last chunk: the first chunks still decrypt
    std::fs::write(&f, &bytes).unwrap();
    let vault_before = std::fs::read(&p).unwrap();
    let files_before = attachment_files(&p, &atts);

    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    match v.rekey(Some(&pass())) {
        Err(VaultError::AttachmentDamaged { id }) => assert_eq!(id, bad),
        other => panic!("{other:?}"),
    }
    // Nothing changed, nothing left behind.
    assert_eq!(std::fs::read(&p).unwrap(), vault_before);
    assert_eq!(attachment_files(&p, &atts), files_before);
    assert_eq!(dir_names(&adir(&p)), expected_names(&atts));
    assert_eq!(
        t.names(),
        [
            "study.fieldvault",
            "study.fieldvault.attachments",
            "study.fieldvault.key",
            "study.fieldvault.lock"
        ]
    );
    // The session still works with the old key.
    let good = atts.keys().next().unwrap();
    assert_eq!(&v.get_attachment(good).unwrap()[..], &atts[good][..]);

    v.remove_attachment(&bad).unwrap();
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    let mut rest = atts.clone();
    rest.remove(&bad);
    check_opens(&p, &unlock(), &rest);
}

#[test]
fn debris_from_an_uncommitted_rekey_is_removed() {
    // A `<id>.age.new` for a key the vault does not have (a re-key that
    // crashed before its commit) is removed before the next re-key.
    let (_t, p, atts, _) = fixture();
    let id = atts.keys().next().unwrap().clone();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    let lost: age::x25519::Recipient = keypair().1.parse().unwrap();
    std::fs::write(
        adir(&p).join(format!("{id}.age.new")),
        age::encrypt(&lost, b"never committed").unwrap(),
    )
    .unwrap();
    // Readers ignore it: <id>.age opens with the vault key.
    assert_eq!(&v.get_attachment(&id).unwrap()[..], &atts[&id][..]);
    let info = v.rekey(Some(&pass())).unwrap();
    assert_eq!(info.leftovers, 1);
    assert_eq!(info.attachments, 3);
    assert_eq!(dir_names(&adir(&p)), expected_names(&atts));
    // Twice in a row, and a vault without attachments.
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    check_opens(&p, &unlock(), &atts);
    let t2 = TestDir::new();
    let q = t2.vault_path();
    let mut w = vault_with_notes(&q, &["hello field", "Жанар"]);
    let info = w.rekey(Some(&pass())).unwrap();
    assert_eq!((info.slots, info.attachments), (1, 0));
    drop(w);
    check_opens(&q, &unlock(), &Atts::new());
    assert!(!adir(&q).exists());
}

#[test]
fn destroyed_meanwhile() {
    let (_t, p, atts, _) = fixture();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    destroy(&p).unwrap();
    assert!(matches!(
        v.rekey(Some(&pass())),
        Err(VaultError::Destroyed { .. })
    ));
    assert_eq!(dir_names(&adir(&p)), expected_names(&atts));
}

/// Every state a crash can leave, built from the files before and after a
/// real re-key: readers open the vault and every attachment; a writer
/// open finishes (or undoes) the attachment swap.
#[test]
fn interrupted_rekey_states_stay_readable() {
    let (t, p, atts, mate) = fixture();
    let dir = adir(&p);
    let old_vault = std::fs::read(&p).unwrap();
    let old = attachment_files(&p, &atts);
    let key_path = fieldvault_vault::key_file_path(&p);
    let old_key_file = std::fs::read(&key_path).unwrap();
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    let new_vault = std::fs::read(&p).unwrap();
    // The key file as a crash anywhere in the re-key leaves it: the old
    // area (0) intact, the new one (1) written; only after the new vault
    // is durable is the old area overwritten.
    let new_key_file = std::fs::read(&key_path).unwrap();
    let mut crash_key_file = old_key_file[..64 + 128_000].to_vec();
    crash_key_file.extend_from_slice(&new_key_file[64 + 128_000..]);
    let new = attachment_files(&p, &atts);
    let ids: Vec<String> = atts.keys().cloned().collect();

    enum Canon {
        Old,
        New,
        Zeroed,
    }
    let install = |vault: &[u8], canon: &[Canon], staged: &[bool], extra: &[(&str, &[u8])]| {
        std::fs::write(&p, vault).unwrap();
        std::fs::write(&key_path, &crash_key_file).unwrap();
        for name in dir_names(&dir) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (i, id) in ids.iter().enumerate() {
            let c = match canon[i] {
                Canon::Old => old[id].clone(),
                Canon::New => new[id].clone(),
                Canon::Zeroed => vec![0u8; old[id].len()],
            };
            std::fs::write(dir.join(format!("{id}.age")), c).unwrap();
            if staged[i] {
                std::fs::write(dir.join(format!("{id}.age.new")), &new[id]).unwrap();
            }
        }
        for (name, bytes) in extra {
            std::fs::write(t.dir.path().join(name), bytes).unwrap();
        }
    };
    let half_vault = &new_vault[..new_vault.len() / 2];
    let tmp_att = format!(
        "study.fieldvault.attachments/.{}.age.tmp-00112233aabbccdd",
        ids[2]
    );
    let half_att = &new[&ids[2]][..new[&ids[2]].len() / 2];
    /// A crash state: which vault file, what `<id>.age` holds, whether
    /// `<id>.age.new` exists, extra (temp) files, and whether the re-key
    /// had committed.
    struct State<'a> {
        what: &'a str,
        vault: &'a [u8],
        canon: [Canon; 3],
        staged: [bool; 3],
        extra: Vec<(&'a str, &'a [u8])>,
        committed: bool,
    }
    use Canon::*;
    let states = [
        State {
            what: "killed while staging attachments",
            vault: &old_vault,
            canon: [Old, Old, Old],
            staged: [true, true, false],
            extra: vec![(tmp_att.as_str(), half_att)],
            committed: false,
        },
        State {
            what: "killed while writing the new vault file",
            vault: &old_vault,
            canon: [Old, Old, Old],
            staged: [true, true, true],
            extra: vec![(".study.fieldvault.tmp-0011223344556677", half_vault)],
            committed: false,
        },
        State {
            what: "killed after the commit, before the swap",
            vault: &new_vault,
            canon: [Old, Old, Old],
            staged: [true, true, true],
            extra: vec![],
            committed: true,
        },
        State {
            what: "killed in the middle of the swap",
            vault: &new_vault,
            canon: [New, Zeroed, Old],
            staged: [false, true, true],
            extra: vec![],
            committed: true,
        },
    ];
    for State {
        what,
        vault,
        canon,
        staged,
        extra,
        committed,
    } in states
    {
        install(vault, &canon, &staged, &extra);
        // One consistent key: the vault's master (recovered from the file
        // on disk) opens, for every attachment, <id>.age or <id>.age.new.
        let master = master_from_passphrase(vault, &p, PASS);
        for id in &ids {
            let opens = |name: String| {
                std::fs::read(dir.join(name))
                    .ok()
                    .is_some_and(|f| age::decrypt(&master, &f).is_ok_and(|d| d == atts[id]))
            };
            assert!(
                opens(format!("{id}.age")) || opens(format!("{id}.age.new")),
                "{what}: attachment {id} has no file for the vault's key"
            );
        }
        check_opens(&p, &unlock(), &atts);
        check_opens(&p, &identity_unlock(&mate), &atts);
        // A writer open finishes the swap or removes the debris.
        drop(Vault::open(&p, &unlock(), write_access()).unwrap());
        assert_eq!(dir_names(&dir), expected_names(&atts), "{what}");
        let want = if committed { &new } else { &old };
        assert_eq!(&attachment_files(&p, &atts), want, "{what}");
        assert_eq!(
            t.names(),
            [
                "study.fieldvault",
                "study.fieldvault.attachments",
                "study.fieldvault.key",
                "study.fieldvault.lock"
            ],
            "{what}"
        );
        check_opens(&p, &unlock(), &atts);
    }
}
