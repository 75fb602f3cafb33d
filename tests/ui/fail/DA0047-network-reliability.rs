#![deny(warnings)]
use distaudit::coordination;
use std::net::{SocketAddr, UdpSocket};

/// A datagram to a peer: its failure is the network's, and an `unwrap` assumes it away.
/// (An in-process channel's `tx.send(..).unwrap()` is not flagged: a closed local channel
/// means the other thread is gone, not that a network failed.)
#[coordination(pattern = "retry", cite = "bacon-2017")]
pub fn forward(socket: &UdpSocket, peer: SocketAddr, unit: u64) {
    socket.send_to(&unit.to_be_bytes(), peer).unwrap();
}

fn main() {}
