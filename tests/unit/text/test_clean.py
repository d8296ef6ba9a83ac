import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.clean import clean_scraped, xml_safe


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_whatever_goes_in_the_result_is_well_formed_xml_and_utf8(text: str) -> None:
    safe = xml_safe(text)
    element = ET.Element("t")
    element.text = safe
    ET.fromstring(ET.tostring(element, encoding="unicode"))  # raises when not well-formed
    safe.encode("utf-8")
    assert xml_safe(safe) == safe


def test_scraped_text_loses_controls_surrogates_and_odd_breaks_but_keeps_emoji() -> None:
    assert clean_scraped("a\x1bb\x08c\x85d\u2028e\u2029f\ufeffg\ud83d😀\x9b\t") == "abc d e fg😀\t"
