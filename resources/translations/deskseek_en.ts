<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DocumentLibrary</name>
    <message numerus="yes">
        <source>Removed %1 from the library and from %n conversation(s).</source>
        <translation>
            <numerusform>Removed %1 from the library and from %n conversation.</numerusform>
            <numerusform>Removed %1 from the library and from %n conversations.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %1 from the library and from the %n conversation(s) using it? Replies that quoted it keep their sources. This cannot be undone.</source>
        <translation>
            <numerusform>Remove %1 from the library and from the conversation using it? Replies that quoted it keep their sources. This cannot be undone.</numerusform>
            <numerusform>Remove %1 from the library and from the %n conversations using it? Replies that quoted it keep their sources. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentStrip</name>
    <message numerus="yes">
        <source>%n pages</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n passages</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryFiles</name>
    <message numerus="yes">
        <source>Imported %n conversation(s)</source>
        <translation>
            <numerusform>Imported %n conversation</numerusform>
            <numerusform>Imported %n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already here</source>
        <translation>
            <numerusform>%n was already here</numerusform>
            <numerusform>%n were already here</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n conversation(s) to %1.</source>
        <translation>
            <numerusform>Exported %n conversation to %1.</numerusform>
            <numerusform>Exported %n conversations to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message numerus="yes">
        <source>Reasoning · %n characters</source>
        <translation>
            <numerusform>Reasoning · %n character</numerusform>
            <numerusform>Reasoning · %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message numerus="yes">
        <source>%n older message(s) left out of the prompt to fit the context</source>
        <translation>
            <numerusform>%n older message left out of the prompt to fit the context</numerusform>
            <numerusform>%n older messages left out of the prompt to fit the context</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TurnStatus</name>
    <message numerus="yes">
        <source>%n token(s), %1 tok/s, first token %2 s</source>
        <translation>
            <numerusform>%n token, %1 tok/s, first token %2 s</numerusform>
            <numerusform>%n tokens, %1 tok/s, first token %2 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) left out to fit the context</source>
        <translation>
            <numerusform>%n older message left out to fit the context</numerusform>
            <numerusform>%n older messages left out to fit the context</numerusform>
        </translation>
    </message>
</context>
</TS>
