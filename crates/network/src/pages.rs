//! Memory for long records: a state monitor of 4000 neurons recording every 0.1 ms step
//! fills 320 MB per simulated second, and with the usual 4 KiB pages the first write to each
//! page is a fault into the kernel (80,000 of them). Records that large ask Linux for
//! transparent huge pages (2 MiB, one fault per 512 small ones) where the system grants them
//! on request (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise` or `always`).
//! Elsewhere, or when refused, nothing changes but the speed.

/// Below this a record stays on ordinary pages (a huge page is 2 MiB).
const WORTH_IT: usize = 8 << 20;

/// Asks for huge pages behind the spare capacity of `buf` (its reserved but unwritten end),
/// when that is large. Only a hint: the contents and the capacity are unchanged.
pub(crate) fn advise_huge<T>(buf: &mut Vec<T>) {
    let spare = buf.spare_capacity_mut();
    let bytes = core::mem::size_of_val(spare);
    if bytes < WORTH_IT {
        return;
    }
    advise(spare.as_mut_ptr().cast(), bytes);
}

#[cfg(target_os = "linux")]
fn advise(start: *mut u8, bytes: usize) {
    const PAGE: usize = 4096;
    // madvise takes page-aligned ranges: the whole pages inside the spare capacity
    let first = (start as usize).next_multiple_of(PAGE);
    let end = (start as usize + bytes) / PAGE * PAGE;
    if end <= first {
        return;
    }
    // SAFETY: [first, end) lies inside one live allocation owned by the caller's Vec, and
    // MADV_HUGEPAGE only changes how the kernel backs those pages, never their contents or
    // the mapping's validity; an error (no THP support) leaves everything as it was.
    let _ = unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE) };
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: *mut u8, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advising_keeps_contents_and_capacity() {
        let mut v: Vec<f64> = vec![1.0, 2.0, 3.0];
        v.reserve(4 << 20);
        let cap = v.capacity();
        advise_huge(&mut v);
        assert_eq!(v, [1.0, 2.0, 3.0]);
        assert_eq!(v.capacity(), cap);
        v.extend((0..4 << 20).map(|i| i as f64));
        assert_eq!(v[3 + 123_456], 123_456.0);
        let mut small: Vec<u8> = Vec::with_capacity(10);
        advise_huge(&mut small);
        assert_eq!(small.capacity(), 10);
    }
}
