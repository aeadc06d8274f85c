import { render } from 'preact';
import { AutofillApp } from '../../components/autofill/AutofillApp';
import '../../components/theme.css';
import '../../components/autofill/autofill.css';

render(<AutofillApp />, document.getElementById('app')!);
