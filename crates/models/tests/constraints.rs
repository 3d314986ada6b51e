//! Every built-in model's strategy (feature `proptest`) draws only sets its builder accepts,
//! and every constraint the builder checks is refused just outside the strategy's range, with
//! an error naming the parameter.
#![cfg(feature = "proptest")]

use neurotype_models::constraint::ConstrainedParams;
use neurotype_models::neurons::*;
use neurotype_models::prelude::*;
use neurotype_models::synapses::legacy::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Draws `cases` sets: each builds, and each of its violations is refused naming the
/// parameter the violation moved.
fn accepts_inside_refuses_outside<P, M>(
    model: &str,
    strategy: BoxedStrategy<P>,
    violations: impl Fn(&P) -> Vec<(&'static str, P)>,
    build: impl Fn(P) -> Result<M, InvalidParameter>,
) where
    P: ConstrainedParams + 'static,
{
    let mut runner = TestRunner::new(Config::with_cases(24));
    runner
        .run(&strategy, |p| {
            let bad = violations(&p);
            if let Err(e) = build(p.clone()) {
                return Err(TestCaseError::fail(format!(
                    "{model} refused a drawn set: {e}"
                )));
            }
            for (keyword, set) in bad {
                match build(set.clone()) {
                    Ok(_) => {
                        return Err(TestCaseError::fail(format!(
                            "{model} accepted {keyword} outside its constraint: {set:?}"
                        )));
                    }
                    Err(e) => prop_assert_eq!(
                        e.name.split('[').next().unwrap(),
                        keyword,
                        "{}: {}",
                        model,
                        e
                    ),
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // every declared constraint has values outside it
    let refused = violations(&P::default());
    for (field, keyword, cs) in P::CONSTRAINTS {
        if !cs.is_empty() {
            assert!(
                refused.iter().any(|(k, _)| k == keyword),
                "{model}: no value outside the constraints of {field}"
            );
        }
    }
}

macro_rules! check_models {
    ($( $test:ident: $Params:ty => |$p:ident| $build:expr; )*) => {
        $(
            #[test]
            fn $test() {
                accepts_inside_refuses_outside(
                    stringify!($test),
                    <$Params>::strategy(),
                    |p: &$Params| p.violations(),
                    |$p: $Params| $build,
                );
            }
        )*
    };
}

check_models! {
    lif: LifParams => |p| Lif::builder(3).params(p).build();
    lif_ref: LifParams => |p| LifRef::builder(3).params(p).build();
    integrate_and_fire: IfParams => |p| If::builder(3).params(p).build();
    alif: AlifParams => |p| Alif::builder(3).params(p).build();
    cuba_lif: CubaLifParams => |p| CubaLif::builder(3).params(p).build();
    coba_lif: CobaLifParams => |p| CobaLif::builder(3).params(p).build();
    gif: GifParams => |p| Gif::builder(3).params(p).build();
    exp_if: ExpIfParams => |p| ExpIf::builder(3).params(p).build();
    adex_if: AdExIfParams => |p| AdExIf::builder(3).params(p).build();
    qua_if: QuaIfParams => |p| QuaIf::builder(3).params(p).build();
    adqua_if: AdQuaIfParams => |p| AdQuaIf::builder(3).params(p).build();
    izhikevich: IzhikevichParams => |p| Izhikevich::builder(3).params(p).build();
    fitzhugh_nagumo: FitzHughNagumoParams => |p| FitzHughNagumo::builder(3).params(p).build();
    hindmarsh_rose: HindmarshRoseParams => |p| HindmarshRose::builder(3).params(p).build();
    hodgkin_huxley: HhParams => |p| Hh::builder(3).params(p).build();
    morris_lecar: MorrisLecarParams => |p| MorrisLecar::builder(3).params(p).build();
    wang_buzsaki: WangBuzsakiHhParams => |p| WangBuzsakiHh::builder(3).params(p).build();
    traub_hh: TraubHhParams => |p| TraubHh::builder(3).params(p).build();
    expon: ExponParams => |p| Expon::<ElectricalConductance>::builder(3).params(p).build();
    dual_expon: DualExponParams => |p| DualExpon::<ElectricalConductance>::builder(3).params(p).build();
    alpha: AlphaParams => |p| Alpha::<ElectricalConductance>::builder(3).params(p).build();
    ampa: AmpaParams => |p| Ampa::builder(3).params(p).build();
    bio_nmda: BioNmdaParams => |p| BioNmda::builder(3).params(p).build();
    nmda: NmdaParams => |p| Nmda::builder(3).params(p).build();
    bio_nmda_joint: BioNmdaJointParams => |p| BioNmdaJoint::builder(3).params(p).build();
    dual_expon_classic: DualExponClassicParams => |p| DualExponClassic::builder(3).params(p).build();
    stp_classic: StpClassicParams => |p| StpClassic::builder(3).params(p).build();
    std_classic: StdClassicParams => |p| StdClassic::builder(3).params(p).build();
    stp: StpParams => |p| Stp::builder(3).params(p).build();
    std: StdParams => |p| Std::builder(3).params(p).build();
}

#[test]
fn a_drawn_set_prints_each_parameter_with_its_unit() {
    let shown = format!("{:?}", LifParams::default());
    assert_eq!(
        shown,
        "LifParams { R: 1 ohm, tau: 5 ms, V_th: 1 mV, V_reset: 0 mV, V_rest: 0 mV }"
    );
}
