use super::*;

/// A tar stream of the given entries: (path, mode, content or symlink target, is symlink).
fn tar_of(entries: &[(&str, u32, &str, bool)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, mode, body, link) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(*mode);
        if *link {
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, path, body).unwrap();
        } else if path.ends_with('/') {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_size(0);
            b.append_data(&mut h, path, std::io::empty()).unwrap();
        } else {
            h.set_size(body.len() as u64);
            b.append_data(&mut h, path, body.as_bytes()).unwrap();
        }
    }
    b.into_inner().unwrap()
}

const STATUS: &str = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n\n\
Package: gcc-12\nStatus: install ok installed\nArchitecture: amd64\n\n\
Package: old-thing\nStatus: deinstall ok config-files\nArchitecture: amd64\n\n\
Package: libc6\nStatus: install ok installed\nArchitecture: i386\n";

#[test]
fn a_debian_image_counts_installed_packages_setuid_files_and_programs() {
    let t = tar_of(&[
        ("etc/", 0o755, "", false),
        ("var/lib/dpkg/status", 0o644, STATUS, false),
        ("usr/bin/passwd", 0o4755, "x", false),
        ("usr/bin/wall", 0o2755, "x", false),
        ("usr/bin/dash", 0o755, "x", false),
        ("bin/sh", 0o777, "dash", true),
        ("usr/bin/gcc-12", 0o755, "x", false),
        ("usr/bin/apt-get", 0o755, "x", false),
        ("usr/local/go/bin/go", 0o755, "x", false),
        ("usr/local/bin/pip3.12", 0o755, "x", false),
        ("usr/bin/python3.11", 0o755, "x", false),
        ("usr/share/doc/gcc/copyright", 0o644, "x", false),
    ]);
    let s = read_tar(&t[..]).unwrap();
    assert_eq!(s.package_db, "dpkg");
    assert_eq!(s.os_packages, Some(3), "{:?}", s.package_names);
    assert!(s.package_names.contains("libc6:i386"));
    assert!(!s.package_names.contains("old-thing"));
    assert_eq!(s.setuid_files, 2);
    assert_eq!(s.shells, ["dash", "sh"]);
    assert_eq!(s.compilers, ["gcc", "go"]);
    assert_eq!(s.package_managers, ["apt", "pip"]);
    assert_eq!(s.files, 10);
}

#[test]
fn distroless_status_d_and_alpine_databases_are_read() {
    let t = tar_of(&[
        (
            "var/lib/dpkg/status.d/base-files",
            0o644,
            "Package: base-files\nArchitecture: amd64\n",
            false,
        ),
        (
            "var/lib/dpkg/status.d/base-files.md5sums",
            0o644,
            "Package: nope\n",
            false,
        ),
        (
            "var/lib/dpkg/status.d/tzdata",
            0o644,
            "Package: tzdata\nArchitecture: all\n",
            false,
        ),
    ]);
    let s = read_tar(&t[..]).unwrap();
    assert_eq!((s.package_db.as_str(), s.os_packages), ("dpkg", Some(2)));
    assert!(s.shells.is_empty() && s.compilers.is_empty());

    let apk = "C:Q1\nP:musl\nV:1.2\n\nC:Q2\nP:busybox\nV:1.36\n\n";
    let t = tar_of(&[
        ("lib/apk/db/installed", 0o644, apk, false),
        ("bin/busybox", 0o755, "x", false),
        ("bin/sh", 0o777, "/bin/busybox", true),
        ("sbin/apk", 0o755, "x", false),
    ]);
    let s = read_tar(&t[..]).unwrap();
    assert_eq!((s.package_db.as_str(), s.os_packages), ("apk", Some(2)));
    assert_eq!(s.shells, ["busybox", "sh"]);
    assert_eq!(s.package_managers, ["apk"]);
}

#[test]
fn scratch_has_nothing_and_rpm_is_named_not_counted() {
    let s = read_tar(&tar_of(&[("app", 0o755, "x", false)])[..]).unwrap();
    assert_eq!(
        (s.package_db.as_str(), s.os_packages, s.files),
        ("none", Some(0), 1)
    );
    let s = read_tar(&tar_of(&[("var/lib/rpm/rpmdb.sqlite", 0o644, "x", false)])[..]).unwrap();
    assert_eq!((s.package_db.as_str(), s.os_packages), ("rpm", None));
}

#[test]
fn versioned_names_count_as_theirs_and_others_do_not() {
    assert_eq!(known("gcc-12", &COMPILERS), Some("gcc"));
    assert_eq!(known("clang-16", &COMPILERS), Some("clang"));
    assert_eq!(known("pip3", &PACKAGE_MANAGERS), Some("pip"));
    assert_eq!(known("gofmt", &COMPILERS), None);
    assert_eq!(known("ccache", &COMPILERS), None);
    assert_eq!(known("gcc-ar", &COMPILERS), None);
    assert_eq!(known("shred", &SHELLS), None);
}

#[test]
fn the_comparison_line_names_what_went() {
    let before = Surface {
        os_packages: Some(412),
        setuid_files: 7,
        shells: vec!["bash".into(), "sh".into()],
        compilers: vec!["gcc".into(), "go".into()],
        package_managers: vec!["apt".into(), "dpkg".into()],
        user: "root".into(),
        files: 30_000,
        ..Surface::default()
    };
    let after = Surface {
        os_packages: Some(0),
        user: "root".into(),
        files: 1,
        ..Surface::default()
    };
    assert_eq!(
        compare(&before, &after),
        "412 → 0 packages, 7 → 0 setuid, shells removed (bash, sh), compilers removed (gcc, go), \
         package managers removed (apt, dpkg), 30000 → 1 files, user root"
    );
    let kept = Surface {
        compilers: vec!["go".into()],
        ..after.clone()
    };
    assert!(compare(&before, &kept).contains("compilers gcc removed, kept (go)"));
    assert!(root_note(&after, &[8080]).is_some());
    assert!(root_note(&after, &[80]).is_none());
    let nonroot = Surface {
        user: "65532:65532".into(),
        ..after
    };
    assert!(root_note(&nonroot, &[]).is_none());
    assert!(is_root("0:0") && is_root("root") && !is_root("app"));
}
