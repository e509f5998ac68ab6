//! The bundled scenario library.
