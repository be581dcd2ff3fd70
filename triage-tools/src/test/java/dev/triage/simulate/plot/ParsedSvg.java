package dev.triage.simulate.plot;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG document parsed by the JDK's XML parser (so it must be well-formed), queried by XPath. */
final class ParsedSvg {

    final Document document;

    ParsedSvg(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    Element root() {
        return document.getDocumentElement();
    }

    List<Element> all(String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** Text of each match; the lines of a multi-line label joined by one space. */
    List<String> texts(String xpath) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Element element : all(xpath)) {
            NodeList spans = element.getElementsByTagName("tspan");
            if (spans.getLength() == 0) {
                texts.add(element.getTextContent());
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < spans.getLength(); i++) {
                lines.add(spans.item(i).getTextContent());
            }
            texts.add(String.join(" ", lines));
        }
        return texts;
    }
}
