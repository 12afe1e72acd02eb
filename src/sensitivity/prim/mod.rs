//! Scenario discovery with PRIM (Patient Rule Induction Method, Friedman & Fisher 1999).
