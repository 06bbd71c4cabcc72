fn main() {
    let mut buf = itoa::Buffer::new();
    println!("{} crates, RUST-E2E-OK", buf.format(1_u8));
}
