//! User and group names from the host's /etc/passwd and /etc/group, read once: events must
//! not touch the filesystem, and NSS modules cannot be called from the event loop.

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct User {
    pub name: String,
    pub home: String,
    pub shell: String,
}

#[derive(Debug, Default)]
pub struct Users {
    users: HashMap<u32, User>,
    groups: HashMap<u32, String>,
}

impl Users {
    pub fn load(etc: &Path) -> Users {
        let read = |f: &str| std::fs::read_to_string(etc.join(f)).unwrap_or_default();
        Users::parse(&read("passwd"), &read("group"))
    }

    pub fn parse(passwd: &str, group: &str) -> Users {
        let mut u = Users::default();
        for l in passwd.lines() {
            let f: Vec<&str> = l.split(':').collect();
            if let (Some(name), Some(Ok(uid))) = (f.first(), f.get(2).map(|s| s.parse::<u32>())) {
                u.users.entry(uid).or_insert(User {
                    name: (*name).to_string(),
                    home: f.get(5).copied().unwrap_or_default().to_string(),
                    shell: f.get(6).copied().unwrap_or_default().to_string(),
                });
            }
        }
        for l in group.lines() {
            let f: Vec<&str> = l.split(':').collect();
            if let (Some(name), Some(Ok(gid))) = (f.first(), f.get(2).map(|s| s.parse::<u32>())) {
                u.groups.entry(gid).or_insert_with(|| (*name).to_string());
            }
        }
        u
    }

    pub fn user(&self, uid: u32) -> Option<&User> {
        self.users.get(&uid)
    }

    pub fn group(&self, gid: u32) -> Option<&str> {
        self.groups.get(&gid).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_and_group_lines() {
        let u = Users::parse(
            "root:x:0:0:root:/root:/bin/bash\n# comment\nbad\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n",
            "root:x:0:\nshadow:x:42:\n",
        );
        assert_eq!(u.user(0).map(|u| u.name.as_str()), Some("root"));
        assert_eq!(
            u.user(65534).map(|u| u.shell.as_str()),
            Some("/usr/sbin/nologin")
        );
        assert_eq!(u.group(42), Some("shadow"));
        assert!(u.user(1).is_none());
    }
}
