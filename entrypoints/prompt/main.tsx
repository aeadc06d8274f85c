import { render } from 'preact';
import { PromptApp } from '../../components/prompt/PromptApp';
import '../../components/theme.css';

const ceremonyId = new URLSearchParams(location.search).get('ceremony') ?? '';
render(<PromptApp ceremonyId={ceremonyId} />, document.getElementById('app')!);
