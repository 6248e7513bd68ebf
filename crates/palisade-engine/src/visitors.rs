//! The one [`FileVisitor`] readers get: the secret scanner and the streaming detectors each
//! see the files they want, read once.

#[cfg(feature = "packages")]
use crate::early::StreamedInventory;
use crate::secrets::SecretVisitor;
use palisade_image::{FileVisit, FileVisitor, HEAD_LEN};

pub(crate) struct Visitors<'a> {
    pub secrets: Option<SecretVisitor<'a>>,
    #[cfg(feature = "packages")]
    pub streamed: Option<StreamedInventory<'a>>,
}

impl Visitors<'_> {
    pub fn is_empty(&self) -> bool {
        #[cfg(feature = "packages")]
        if self.streamed.is_some() {
            return false;
        }
        self.secrets.is_none()
    }

    fn secrets_for(&self, path: &str, size: u64) -> Option<&SecretVisitor<'_>> {
        self.secrets.as_ref().filter(|s| s.wants(path, size))
    }

    #[cfg(feature = "packages")]
    fn streamed_for(&self, path: &str, size: u64, head: &[u8]) -> Option<&StreamedInventory<'_>> {
        self.streamed
            .as_ref()
            .filter(|s| s.wants(path, size) && s.wants_content(path, size, head))
    }
}

impl FileVisitor for Visitors<'_> {
    fn wants(&self, path: &str, size: u64) -> bool {
        #[cfg(feature = "packages")]
        if self.streamed.as_ref().is_some_and(|s| s.wants(path, size)) {
            return true;
        }
        self.secrets_for(path, size).is_some()
    }

    fn wants_content(&self, path: &str, size: u64, head: &[u8]) -> bool {
        let secrets = match self.secrets_for(path, size) {
            Some(s) if s.accepts(head) => true,
            Some(s) => {
                s.note_skipped();
                false
            }
            None => false,
        };
        #[cfg(feature = "packages")]
        if self.streamed_for(path, size, head).is_some() {
            return true;
        }
        let _ = head;
        secrets
    }

    fn visit(&self, file: &FileVisit<'_>) {
        let size = file.content.len() as u64;
        let head = &file.content[..file.content.len().min(HEAD_LEN)];
        if let Some(s) = self
            .secrets_for(file.path, size)
            .filter(|s| s.accepts(head))
        {
            s.visit(file);
        }
        #[cfg(feature = "packages")]
        if let Some(s) = self.streamed_for(file.path, size, head) {
            s.visit(file);
        }
    }
}
