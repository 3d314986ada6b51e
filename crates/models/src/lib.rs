//! placeholder until the model crates land
