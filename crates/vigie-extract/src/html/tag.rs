//! Tag names the extractor cares about, as a small enum so that matching is cheap.

/// An HTML element name. Names the extractor has no rule for are `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Tag {
    /// A text node, not an element.
    Text,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Base,
    Script,
    Style,
    Noscript,
    Template,
    Svg,
    Math,
    Iframe,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Picture,
    Source,
    Img,
    Figure,
    Figcaption,
    Article,
    Main,
    Section,
    Div,
    Span,
    P,
    Br,
    Hr,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Header,
    Footer,
    Nav,
    Aside,
    Blockquote,
    Q,
    Pre,
    Code,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    Caption,
    A,
    B,
    Strong,
    I,
    Em,
    U,
    Small,
    Sup,
    Sub,
    Time,
    Address,
    Cite,
    Mark,
    Abbr,
    Form,
    Input,
    Button,
    Select,
    Option,
    Textarea,
    Label,
    Fieldset,
    Details,
    Summary,
    Dialog,
    Menu,
    Area,
    Col,
    Param,
    Track,
    Wbr,
    Xmp,
    Plaintext,
    Noembed,
    Noframes,
    Font,
    Center,
    /// A `<script type="text/template">`: markup rendered by the page's scripts.
    ScriptTemplate,
    Other,
}

impl Tag {
    /// Maps a lower-case tag name to its `Tag`.
    pub fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "base" => Base,
            "script" => Script,
            "style" => Style,
            "noscript" => Noscript,
            "template" => Template,
            "svg" => Svg,
            "math" => Math,
            "iframe" => Iframe,
            "object" => Object,
            "embed" => Embed,
            "canvas" => Canvas,
            "video" => Video,
            "audio" => Audio,
            "picture" => Picture,
            "source" => Source,
            "img" => Img,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "article" => Article,
            "main" => Main,
            "section" => Section,
            "div" => Div,
            "span" => Span,
            "p" => P,
            "br" => Br,
            "hr" => Hr,
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "header" => Header,
            "footer" => Footer,
            "nav" => Nav,
            "aside" => Aside,
            "blockquote" => Blockquote,
            "q" => Q,
            "pre" => Pre,
            "code" => Code,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "table" => Table,
            "thead" => Thead,
            "tbody" => Tbody,
            "tfoot" => Tfoot,
            "tr" => Tr,
            "td" => Td,
            "th" => Th,
            "caption" => Caption,
            "a" => A,
            "b" => B,
            "strong" => Strong,
            "i" => I,
            "em" => Em,
            "u" => U,
            "small" => Small,
            "sup" => Sup,
            "sub" => Sub,
            "time" => Time,
            "address" => Address,
            "cite" => Cite,
            "mark" => Mark,
            "abbr" => Abbr,
            "form" => Form,
            "input" => Input,
            "button" => Button,
            "select" => Select,
            "option" => Option,
            "textarea" => Textarea,
            "label" => Label,
            "fieldset" => Fieldset,
            "details" => Details,
            "summary" => Summary,
            "dialog" => Dialog,
            "menu" => Menu,
            "area" => Area,
            "col" => Col,
            "param" => Param,
            "track" => Track,
            "wbr" => Wbr,
            "xmp" => Xmp,
            "plaintext" => Plaintext,
            "noembed" => Noembed,
            "noframes" => Noframes,
            "font" => Font,
            "center" => Center,
            _ => Other,
        }
    }

    /// Elements that never have content or an end tag.
    pub fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Input
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
        )
    }

    /// Elements whose content is raw text up to the matching end tag.
    pub fn is_raw_text(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Script
                | Style
                | Textarea
                | Title
                | Xmp
                | Iframe
                | Noembed
                | Noframes
                | Noscript
                | Plaintext
        )
    }

    /// Elements that start a new block of text when rendered.
    pub fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Html | Body
                | Article
                | Main
                | Section
                | Div
                | P
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Header
                | Footer
                | Nav
                | Aside
                | Blockquote
                | Pre
                | Ul
                | Ol
                | Li
                | Dl
                | Dt
                | Dd
                | Table
                | Thead
                | Tbody
                | Tfoot
                | Tr
                | Caption
                | Figure
                | Figcaption
                | Form
                | Fieldset
                | Details
                | Summary
                | Dialog
                | Menu
                | Address
                | Center
                | Hr
                | Br
                | ScriptTemplate
        )
    }

    /// Elements whose start closes an open `<p>` (the HTML spec's rule, simplified).
    pub fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Div
                | Dl
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Header
                | Hr
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Pre
                | Section
                | Table
                | Ul
        )
    }

    /// Headings `h1`–`h6`.
    pub fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }
}
